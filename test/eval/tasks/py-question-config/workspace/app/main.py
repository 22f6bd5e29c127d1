from app.settings import load_settings
from app.server import serve


def main():
    settings = load_settings("settings.ini")
    serve(settings)
