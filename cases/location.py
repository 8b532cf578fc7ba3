"""Public positions are blurred so no beneficiary's home can be found from them.

The blurred point is drawn once, 1.5 to 2.5 km from the true one in a random
direction, rounded to about 100 m, and stored: every page view shows the same
point, so refreshing and averaging reveals nothing.
"""

import math
import secrets

EARTH_KM_PER_DEGREE = 111.32
MIN_KM, MAX_KM = 1.5, 2.5


def blur(latitude: float, longitude: float) -> tuple[float, float]:
    rng = secrets.SystemRandom()
    distance = rng.uniform(MIN_KM, MAX_KM)
    bearing = rng.uniform(0, 2 * math.pi)
    d_lat = distance * math.cos(bearing) / EARTH_KM_PER_DEGREE
    d_lon = distance * math.sin(bearing) / (EARTH_KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return round(latitude + d_lat, 3), round(longitude + d_lon, 3)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def validate(latitude, longitude) -> bool:
    return latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180
