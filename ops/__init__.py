"""Tools for the team on call, for local and real stages alike."""
