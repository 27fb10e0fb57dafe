"""Helpers shared by Groundswell's tests, kept out of the installed package.

mail: a real local SMTP server; queue: run queued emails and tasks as the worker does;
concurrency: run N things at the same instant; urls: every URL pattern, filled in.
"""
