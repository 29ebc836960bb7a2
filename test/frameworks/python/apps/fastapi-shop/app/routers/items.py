from fastapi import APIRouter, Security

from ..deps import load_user

router = APIRouter(dependencies=[Security(load_user, scopes=["items"])])


@router.get("/")
def list_items():
    return []


@router.api_route("/{item_id}", methods=["PUT", "PATCH"])
def update_item(item_id: int):
    return {}
