package dev.berth.cli;

import picocli.CommandLine.Command;

/** {@code berth mesh}: calls and status of the host's mesh proxy (DESIGN.md §8). */
@Command(name = "mesh", description = "Call a mesh group, or show the mesh proxy's status.",
        subcommands = {MeshCallCommand.class, MeshStatusCommand.class})
final class MeshCommand {
}
