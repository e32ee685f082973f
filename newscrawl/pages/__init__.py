"""Parsing: a response or saved text in, an Article out; pages never request or yield."""
