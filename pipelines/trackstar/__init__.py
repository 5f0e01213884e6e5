"""The Trackstar dlt source (verified-sources shape): client, endpoints as data, source."""
