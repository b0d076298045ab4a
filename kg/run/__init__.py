"""Where the per-article function runs: in this process, a process pool or a Dask cluster; and the build cache."""
