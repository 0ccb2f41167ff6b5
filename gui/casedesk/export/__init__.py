"""casedesk.export"""
