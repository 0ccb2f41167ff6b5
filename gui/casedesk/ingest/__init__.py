"""casedesk.ingest"""
