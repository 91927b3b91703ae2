"""rubric over HTTP (``rubric serve``; docs/service.md).

``service.app.create_app(directory, ...)`` builds the application; it needs the
``server`` extra (FastAPI, uvicorn). This package's ``__init__`` imports nothing, so
``service.limits`` (the defaults ``rubric serve`` shows in its help) loads without
FastAPI, and ``import rubric`` never imports the service.
"""
