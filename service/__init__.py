"""JobCircle web service: FastAPI app, persistence, workflows and the CLI."""
