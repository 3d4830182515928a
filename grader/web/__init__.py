"""The web pages of `grade serve`: students sign in, answer with a live preview and read their reports;
TAs see the class, the item analysis and the manual grading queue. Server-rendered HTML (Jinja2,
autoescaped), one static script and one stylesheet shipped in the package: no CDN, no inline script."""
