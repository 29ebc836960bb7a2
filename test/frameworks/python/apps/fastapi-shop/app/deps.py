from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def get_db():
    yield None


def load_user(token: Annotated[str, Depends(oauth2_scheme)]):
    try:
        return jwt.decode(token, "unused", algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)


CurrentUser = Annotated[dict, Depends(load_user)]


def require_admin(user: CurrentUser):
    if not user.is_admin:
        raise HTTPException(status_code=403)
    return user
