package dev.hangdoctor.procfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A saved bundle as a {@link ProcSource}: plain reads, since files on a disk do not hang, of regular files only,
 * checked without following links, so a bundle from elsewhere cannot make the reader block on a FIFO or read a
 * device.
 */
public final class BundleSource implements ProcSource {
    private final Path root;

    public BundleSource(Path root) {
        this.root = root;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public Read read(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        ? Read.failed(file + ": refused, not a regular file") : Read.absent(file + ": no such file");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return Read.of(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
            }
        } catch (NoSuchFileException e) {
            return Read.absent(file + ": no such file");
        } catch (AccessDeniedException e) {
            return Read.failed(file + ": permission denied");
        } catch (IOException | RuntimeException e) {
            return Read.failed(file + ": " + e.getMessage());
        }
    }
}
