"""Helpers shared by test folders: real git servers on loopback (gitservers)."""
