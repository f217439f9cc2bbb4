"""game.report"""
