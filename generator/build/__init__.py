"""Build: the scheduler, manifest, disk I/O, progress and the commands that read and write files."""
