"""Printed and exported documents: the CV PDF, reports."""
