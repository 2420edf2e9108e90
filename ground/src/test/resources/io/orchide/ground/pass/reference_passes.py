#!/usr/bin/python3
"""Independent reference for ground's passes: Vallado's SGP4 (the python3-sgp4 package), TEME to Earth-fixed by
GMST (IAU 1982) alone, a WGS-84 station, geometric elevation. Scans every 10 s and bisects each crossing of the
minimum elevation to 10 ms. A pass in progress at the start (or end) is clipped there, as ground does.

usage: reference_passes.py LINE1 LINE2 LAT LON ALT_M MIN_ELEV_DEG START_ISO SECONDS
prints one pass per line: AOS LOS (ISO-8601 UTC, milliseconds)
"""
import math
import sys
from datetime import datetime, timedelta, timezone

from sgp4.api import Satrec, jday

A = 6378.137
F = 1 / 298.257223563


def station_ecef(lat, lon, alt_km):
    e2 = F * (2 - F)
    la, lo = math.radians(lat), math.radians(lon)
    n = A / math.sqrt(1 - e2 * math.sin(la) ** 2)
    return ((n + alt_km) * math.cos(la) * math.cos(lo),
            (n + alt_km) * math.cos(la) * math.sin(lo),
            (n * (1 - e2) + alt_km) * math.sin(la)), la, lo


def gmst(jd_ut1):
    t = (jd_ut1 - 2451545.0) / 36525.0
    sec = 67310.54841 + (876600.0 * 3600 + 8640184.812866) * t + 0.093104 * t * t - 6.2e-6 * t ** 3
    return math.radians((sec % 86400) / 240.0)


def elevation(sat, when, st, la, lo):
    jd, fr = jday(when.year, when.month, when.day, when.hour, when.minute,
                  when.second + when.microsecond / 1e6)
    err, r, _ = sat.sgp4(jd, fr)
    if err != 0:
        raise SystemExit("sgp4 error %d at %s" % (err, when))
    g = gmst(jd + fr)
    x = math.cos(g) * r[0] + math.sin(g) * r[1]
    y = -math.sin(g) * r[0] + math.cos(g) * r[1]
    z = r[2]
    d = (x - st[0], y - st[1], z - st[2])
    up = (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))
    return math.degrees(math.asin(sum(a * b for a, b in zip(d, up)) / math.sqrt(sum(a * a for a in d))))


def main():
    l1, l2, lat, lon, alt, minel, start, seconds = sys.argv[1:9]
    sat = Satrec.twoline2rv(l1, l2)
    st, la, lo = station_ecef(float(lat), float(lon), float(alt) / 1000)
    minel = float(minel)
    t0 = datetime.fromisoformat(start.replace("Z", "+00:00"))
    end = t0 + timedelta(seconds=float(seconds))

    def above(t):
        return elevation(sat, t, st, la, lo) > minel

    def crossing(a, b):
        ua = above(a)
        while (b - a).total_seconds() > 0.01:
            m = a + (b - a) / 2
            if above(m) == ua:
                a = m
            else:
                b = m
        return a + (b - a) / 2

    def iso(t):
        return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)

    step = timedelta(seconds=10)
    t, was = t0, above(t0)
    aos = t0 if was else None
    while t < end:
        n = min(t + step, end)
        now = above(n)
        if now != was:
            c = crossing(t, n)
            if now:
                aos = c
            else:
                print(iso(aos), iso(c))
                aos = None
        t, was = n, now
    if aos is not None:
        print(iso(aos), iso(end))


main()
