"""The classroom over the room's network: `python main.py host` serves team pages, a projector page and
the umpire's console from the umpire's laptop (Starlette on uvicorn, WebSockets for pushes). Every
answer is built per request from the caller's own grant: a team's token gives that team's view only."""
