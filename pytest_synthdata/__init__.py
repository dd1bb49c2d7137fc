"""pytest plugin for synthdata: the marker, fixtures, record/replay modes, lock file and report."""
