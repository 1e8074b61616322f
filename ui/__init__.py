"""The Qt desktop front end of fpdesk. It reads through the core and writes only through its service functions."""
