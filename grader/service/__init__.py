"""`grade serve`: the grading service, so students never hold the answer key.

`core.Service` is the one Python API (the HTTP app in `app.py` and the web pages call it);
`coursefile` reads course.toml and the roster, `store` keeps everything in the gradebook,
`tokens` issues and checks bearer tokens, `grading` runs checks on worker processes.
Nothing is imported here: `grade --help` must not pay for FastAPI.
"""
