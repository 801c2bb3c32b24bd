"""Pages: files a person takes away (the handout, the static course export), made with Jinja2 templates in
``sciatica_edu/templates``.
"""
