from fastapi import APIRouter, Depends, Request

from ..deps import CurrentUser, get_db
from ..main import limiter

router = APIRouter(prefix="/users", tags=["users"])


@router.post("/login")
@limiter.limit("5/minute")
def login(request: Request):
    return {}


@router.get("/me")
def read_me(user: CurrentUser):
    return user


@router.get("/{user_id}")
def read_user(user_id: int, db=Depends(get_db)):
    return db.get(user_id)


@router.delete("/{user_id}")
def delete_user(user_id: int, user: CurrentUser, db=Depends(get_db)):
    db.delete(user_id)
