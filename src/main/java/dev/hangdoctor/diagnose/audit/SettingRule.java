package dev.hangdoctor.diagnose.audit;

/** One line of the settings table: a key, the values that make a hang worse, why, and what to set instead. */
public record SettingRule(String key, ValueTest when, String risk, String recommended) {
}
