"""Web pages for cases: public, charity management, reports and moderation."""
