"""The synthdata pytest plugin: the ``synthdata`` marker, its fixtures, modes and report."""
