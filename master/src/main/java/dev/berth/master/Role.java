package dev.berth.master;

/** What a child process of the master does; every role is the same jar with another main class. */
enum Role {

    /** Serves connections on its event loops; {@code workers} of them per pool. */
    WORKER("dev.berth.worker.WorkerMain", "worker.jsa"),

    /** Accepts for an {@code accept: handoff} pool and hands connections to its workers; one per pool and generation. */
    DISPATCHER("dev.berth.dispatcher.DispatcherMain", "dispatcher.jsa");

    private final String mainClass;
    private final String archive;

    Role(String mainClass, String archive) {
        this.mainClass = mainClass;
        this.archive = archive;
    }

    /** The class whose main method the child runs. */
    String mainClass() {
        return mainClass;
    }

    /** The file name, in the run directory, of the class-data archive this role creates and reuses. */
    String archive() {
        return archive;
    }
}
