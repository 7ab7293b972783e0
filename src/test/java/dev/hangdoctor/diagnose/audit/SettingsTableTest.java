package dev.hangdoctor.diagnose.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTableTest {

    @Test
    void builtInTableNamesTheSettingsThatMakeAHangWorse() {
        SettingsTable t = SettingsTable.builtIn();
        assertThat(t.keys()).containsExactly("kernel.hung_task_panic", "kernel.hung_task_timeout_secs",
                "kernel.softlockup_panic", "kernel.hardlockup_panic", "kernel.watchdog_thresh", "vm.panic_on_oom",
                AuditFacts.MEMCG_OOM_KILL_DISABLE);
        assertThat(t.rules()).allSatisfy(r -> {
            assertThat(r.risk()).isNotBlank().doesNotContain("\n");
            assertThat(r.recommended()).isNotBlank();
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "!= 0 | 1    | true",
        "!= 0 | 0    | false",
        "!= 0 | ' 2 '| true",
        "== 0 | 0    | true",
        "== 0 | 120  | false",
        ">= 1 | 3    | true",
        ">= 1 | 0    | false",
        "> 1  | 1    | false",
        "< 10 | 9    | true",
        "<= 10| 10   | true",
        "== on| on   | true",
        "!= 0 | yes  | false",
        "== 0 | ''   | false",
        ">= 1 | 99999999999999999999 | false",
    })
    void conditions(String when, String value, boolean risky) {
        assertThat(ValueTest.parse(when).test(value)).isEqualTo(risky);
    }

    @Test
    void badTablesSayWhatIsWrong() {
        assertThatThrownBy(() -> ValueTest.parse("= 1")).hasMessageContaining("bad condition '= 1'");
        assertThatThrownBy(() -> ValueTest.parse(">= many")).hasMessageContaining("needs a whole number");
        assertThatThrownBy(() -> SettingsTable.parse("x: 1")).hasMessageContaining("'settings' list");
        assertThatThrownBy(() -> SettingsTable.parse("settings:\n  - key: a\n    when: '!= 0'\n    risk: r\n"))
                .hasMessageContaining("setting 1: missing 'recommended'");
        assertThatThrownBy(() -> SettingsTable.parse(
                "settings:\n  - key: a\n    when: '!= 0'\n    risk: r\n    recommended: s\n    typo: 1\n"))
                .hasMessageContaining("unknown key typo");
        assertThatThrownBy(() -> SettingsTable.parse("settings: [")).hasMessageContaining("invalid YAML");
    }
}
