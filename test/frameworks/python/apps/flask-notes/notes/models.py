class Note:
    query = None
