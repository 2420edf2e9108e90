package io.orchide.node.position;

import io.orchide.node.device.DeviceInputException;

import java.time.LocalTime;

/**
 * One NMEA 0183 GGA sentence (fix data) from a GNSS receiver, any talker ({@code $GPGGA}, {@code $GNGGA},
 * {@code $GLGGA}, ...): the UTC time of the fix, its quality ({@code 0}: no fix), the number of satellites used,
 * latitude and longitude in degrees (south and west negative), and the altitude above the WGS-84 ellipsoid (the
 * sentence's altitude above mean sea level plus its geoid separation, which may be empty). Latitude, longitude and
 * altitude are NaN in a sentence without a fix.
 */
public record GgaSentence(LocalTime utc, int quality, int satellites, double latitudeDeg, double longitudeDeg,
                          double altitudeM) {
    /**
     * The longest sentence taken, with its {@code $} and without the line end: NMEA 0183 allows 82 characters, and
     * receivers with extra decimals in their coordinates send a little more.
     */
    public static final int MAX_LENGTH = 128;

    /** Whether the sentence carries a measured position: any quality but 0 (no fix) and 7 (entered by hand). */
    public boolean hasFix() {
        return quality > 0 && quality != 7 && !Double.isNaN(latitudeDeg);
    }

    /** Whether {@code line} is a GGA sentence of any talker (not whether it is a valid one). */
    public static boolean isGga(String line) {
        return line.length() >= 6 && line.charAt(0) == '$' && line.startsWith("GGA", 3);
    }

    /**
     * Parses one GGA line (without its line end; trailing white space is ignored). The checksum is required: a line a
     * noisy serial link cut or garbled must not pass for a position.
     *
     * @throws DeviceInputException naming the field ({@code sentence}, {@code checksum}, {@code time},
     *     {@code latitude}, ...) and the value when the line is not a well-formed GGA sentence
     */
    public static GgaSentence parse(String line) {
        if (line == null) throw new DeviceInputException("sentence", null, "is missing");
        String s = line.strip();
        if (s.length() > MAX_LENGTH) {
            throw new DeviceInputException("sentence", abbreviate(s), "is longer than " + MAX_LENGTH + " characters");
        }
        if (!isGga(s)) throw new DeviceInputException("sentence", s, "is not a GGA sentence ($..GGA)");
        int star = s.lastIndexOf('*');
        if (star < 0 || star != s.length() - 3) {
            throw new DeviceInputException("checksum", s, "is missing (a GGA sentence ends with *hh)");
        }
        int expected;
        try {
            expected = Integer.parseInt(s.substring(star + 1), 16);
        } catch (NumberFormatException e) {
            throw new DeviceInputException("checksum", s.substring(star + 1), "is not two hexadecimal digits");
        }
        int sum = 0;
        for (int i = 1; i < star; i++) sum ^= s.charAt(i);
        if (sum != expected) {
            throw new DeviceInputException("checksum", s.substring(star + 1),
                    "does not match the sentence's " + String.format("%02X", sum));
        }
        String[] f = s.substring(0, star).split(",", -1);
        if (f.length < 15) throw new DeviceInputException("sentence", s, "has " + f.length + " fields, GGA has 15");
        int quality = integer("quality", f[6], 0, 8);
        LocalTime utc = quality == 0 && f[1].isEmpty() ? null : time(f[1]); // a receiver's first sentences: no time yet
        int satellites = f[7].isEmpty() ? 0 : integer("satellites", f[7], 0, 99);
        if (quality == 0 || f[2].isEmpty()) return new GgaSentence(utc, quality, satellites, Double.NaN, Double.NaN, Double.NaN);
        double lat = angle("latitude", f[2], f[3], 2, 90, 'N', 'S');
        double lon = angle("longitude", f[4], f[5], 3, 180, 'E', 'W');
        double altitude = decimal("altitude", f[9]);
        if (!f[9].isEmpty() && !f[10].equals("M")) throw new DeviceInputException("altitudeUnit", f[10], "must be M");
        double separation = f[11].isEmpty() ? 0 : decimal("geoidSeparation", f[11]);
        return new GgaSentence(utc, quality, satellites, lat, lon, Double.isNaN(altitude) ? 0 : altitude + separation);
    }

    private static LocalTime time(String v) {
        if (!v.matches("\\d{6}(\\.\\d{1,3})?")) throw new DeviceInputException("time", v, "must be hhmmss[.sss]");
        int h = Integer.parseInt(v.substring(0, 2)), m = Integer.parseInt(v.substring(2, 4));
        int sec = Integer.parseInt(v.substring(4, 6));
        if (h > 23 || m > 59 || sec > 59) throw new DeviceInputException("time", v, "is not a time of day");
        int nanos = v.length() > 7 ? (int) Math.round(Double.parseDouble("0" + v.substring(6)) * 1e9) : 0;
        return LocalTime.of(h, m, sec, Math.min(nanos, 999_999_999));
    }

    /** {@code ddmm.mmmm} (latitude, {@code degreeDigits} 2) or {@code dddmm.mmmm} (longitude, 3) and a hemisphere. */
    private static double angle(String field, String v, String hemisphere, int degreeDigits, int limit, char plus,
                                char minus) {
        if (!v.matches("\\d{" + degreeDigits + "}\\d{2}(\\.\\d+)?")) {
            throw new DeviceInputException(field, v, "must be " + "d".repeat(degreeDigits) + "mm.mmmm");
        }
        double minutes = Double.parseDouble(v.substring(degreeDigits));
        double deg = Integer.parseInt(v.substring(0, degreeDigits)) + minutes / 60;
        if (minutes >= 60 || deg > limit) throw new DeviceInputException(field, v, "is out of range");
        if (hemisphere.equals(String.valueOf(plus))) return deg;
        if (hemisphere.equals(String.valueOf(minus))) return -deg;
        throw new DeviceInputException(field + "Hemisphere", hemisphere, "must be " + plus + " or " + minus);
    }

    private static double decimal(String field, String v) {
        if (v.isEmpty()) return Double.NaN;
        if (!v.matches("-?\\d+(\\.\\d+)?")) throw new DeviceInputException(field, v, "must be a decimal number");
        return Double.parseDouble(v);
    }

    private static int integer(String field, String v, int min, int max) {
        if (!v.matches("\\d{1,2}")) throw new DeviceInputException(field, v, "must be a whole number");
        int n = Integer.parseInt(v);
        if (n < min || n > max) throw new DeviceInputException(field, v, "must be within [" + min + ", " + max + "]");
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
