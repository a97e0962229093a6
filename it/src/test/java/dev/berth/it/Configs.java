package dev.berth.it;

/** Config files for the process tests: one echo service on a free loopback port. */
final class Configs {

    /** JVM options that keep test workers small and quick to start. */
    static final String TEST_JVM = "[-Xmx48m, -XX:+UseSerialGC, -XX:TieredStopAtLevel=1]";

    private Configs() {
    }

    /**
     * An echo pool.
     *
     * @param poolExtra extra pool keys, each line indented by four spaces, e.g. "    max-requests: 100\n"
     */
    static String echo(int workers, String poolExtra) {
        return echo(workers, poolExtra, "");
    }

    static String echo(int workers, String poolExtra, String masterExtra) {
        return """
                master:
                  run-dir: run
                  log-dir: log
                %s
                pools:
                  echo:
                    workers: %d
                    threads: 1
                    jvm-options: %s
                %s
                services:
                  - name: echo
                    kind: echo
                    pool: echo
                    listen: ["127.0.0.1:0"]
                """.formatted(masterExtra, workers, TEST_JVM, poolExtra);
    }
}
