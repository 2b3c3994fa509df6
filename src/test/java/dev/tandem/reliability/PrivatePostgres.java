package dev.tandem.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster of the machine's binaries ({@code /usr/lib/postgresql/<newest>/bin}),
 * for tests that stop and start the database under the application (see bin/embedded-postgres,
 * which does the same for development). Data, socket and log live in one directory; it listens on
 * 127.0.0.1 with trust authentication. As root, initdb and pg_ctl run as the unprivileged {@code
 * postgres} user ({@code runuser -u postgres --}), since PostgreSQL refuses to run as root.
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path dir;
    private final Path data;
    private final Path bin;
    private final int port;

    private PrivatePostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.bin = bin;
        this.port = port;
    }

    /**
     * Creates (initdb) a new cluster in {@code dir}, replacing what was there, configured for {@code
     * port}. Does not start it.
     *
     * @param dir a directory under target/ that the {@code postgres} user can reach
     * @param port TCP port on 127.0.0.1
     * @return the stopped cluster
     */
    static PrivatePostgres create(Path dir, int port) throws IOException, InterruptedException {
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
        }
        PrivatePostgres pg = new PrivatePostgres(dir.toAbsolutePath(), bin, port);
        pg.delete();
        Files.createDirectories(pg.data);
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:", pg.dir.toString()));
        }
        pg.asOwner(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"));
        Files.writeString(pg.data.resolve("postgresql.conf"), "\n# --- PrivatePostgres ---\n"
                + "listen_addresses = '127.0.0.1'\nport = " + port + "\nunix_socket_directories = '" + pg.data + "'\n"
                + "fsync = on\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return pg;
    }

    /** @return the port */
    int port() {
        return port;
    }

    /** @param database a database name @return its JDBC URL on this cluster */
    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the cluster and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "start", "-D", data.toString(), "-l",
                dir.resolve("postgresql.log").toString(), "-w", "-t", "60"));
    }

    /** Stops it as a crash would: {@code pg_ctl stop -m immediate} (backends killed, no checkpoint). */
    void crash() throws IOException, InterruptedException {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "immediate", "-w"));
    }

    /** Stops it if it runs ({@code -m immediate}), then deletes its directory. Never throws. */
    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                crash();
            }
        } catch (Exception e) {
            System.err.println("PrivatePostgres: stop failed: " + e);
        }
        try {
            delete();
        } catch (IOException e) {
            System.err.println("PrivatePostgres: cleanup failed: " + e);
        }
    }

    private void delete() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void asOwner(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
    }
}
