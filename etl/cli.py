"""The `etl` command: one subcommand per module in etl/commands/."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# name -> module in etl.commands; each module defines add_arguments(parser) and run(args) -> int.
COMMANDS = {
    "parse": "Show what the pipeline makes of dump files (one JSON record per file).",
    "synth": "Write a deterministic synthetic sample of dump files.",
    "run": "Materialize the whole pipeline through Dagster and print a summary.",
    "report": "Render the warehouse charts into an HTML page and PNGs.",
    "audit": "Reconcile raw folder, manifest, lake and warehouse; exit 1 on any mismatch.",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    # Only the chosen command's module is imported: the others' imports (the parser's, the generator's) cost
    # about a second of every start, a nothing-new `etl run` included. `etl --help` imports them all.
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else list(COMMANDS)
    modules = {}
    for name, help_text in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name in chosen:
            modules[name] = importlib.import_module(f"etl.commands.{name}")
            modules[name].add_arguments(command_parser)
    args = parser.parse_args(argv)
    return modules[args.command].run(args)


def entry() -> None:
    """The process entry point (the `etl` script, `python -m etl.cli`): the command's exit code, without the
    interpreter's finalization. After `etl run` on an S3 lake the process was seen to abort in it ("terminate
    called without an active exception", SIGABRT) once all its work was done and durable: native thread pools
    (Arrow's, reading through fsspec) outliving the Python objects they call. Everything a command writes is
    written and closed before it returns; only the output streams need flushing."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    entry()
