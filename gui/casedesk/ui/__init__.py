"""casedesk.ui"""
