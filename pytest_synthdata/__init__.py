"""pytest plugin for synthdata (marker and fixtures arrive in the next release)."""
