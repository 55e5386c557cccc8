"""hoso: the personnel-records database of a Vietnamese province."""
