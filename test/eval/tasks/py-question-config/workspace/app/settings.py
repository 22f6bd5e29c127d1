import configparser


def load_settings(path):
    parser = configparser.ConfigParser()
    parser.read(path)
    return dict(parser["app"])
