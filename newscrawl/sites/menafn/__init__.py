"""MENAFN (menafn.com): its URL rules and page classes."""
