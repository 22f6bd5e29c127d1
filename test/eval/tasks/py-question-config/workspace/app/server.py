def serve(settings):
    print("serving on", settings.get("port", "8000"))
