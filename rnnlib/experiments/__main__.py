"""``python -m rnnlib.experiments <name> [options]``; ``<name> --help`` shows an experiment's options,
``--list`` prints the names (one a line, for the Makefile)."""
import sys

from . import EXPERIMENTS, run


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--list"]:
        print("\n".join(EXPERIMENTS))
        return 0
    if not argv or argv[0] in ("-h", "--help"):
        out = sys.stdout if argv else sys.stderr          # no name at all is a usage error (exit 2)
        print(__doc__.strip(), file=out)
        print("\nexperiments:", file=out)
        for name, (_, _, chapter, what) in EXPERIMENTS.items():
            print(f"  {name:15s} ({chapter}) {what}", file=out)
        return 0 if argv else 2
    if argv[0] not in EXPERIMENTS:
        print(f"error: unknown experiment {argv[0]!r}; expected one of {tuple(EXPERIMENTS)} "
              "(python -m rnnlib.experiments --help lists them)", file=sys.stderr)
        return 2
    import torch
    torch.set_num_threads(1)        # one thread: CPU times comparable between runs (the files record it)
    result = run(argv[0], argv[1:])
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
