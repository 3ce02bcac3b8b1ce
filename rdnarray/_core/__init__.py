"""The core: the array and everything every operation needs."""
