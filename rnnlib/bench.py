"""``python -m rnnlib.bench``: the documented command for the benchmark in ``rnnlib.tools.bench``."""

if __name__ == "__main__":
    from rnnlib.tools.bench import main

    main()
