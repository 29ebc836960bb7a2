class Post:
    objects = None


class User:
    objects = None
