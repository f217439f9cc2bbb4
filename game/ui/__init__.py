"""game.ui"""
