"""A classroom session: the scenario's teams in seats (human or AI, each with a hashed PIN), the umpire's
PIN, every team's draft orders kept on the host, the turn cycle (open, ready, end, time limit), the
umpire's rulings on the record, and a save that resumes all of it. No network and no pygame here: the
session server (game/net) and tests drive it."""
