package io.cloudwarden.engine.remediation.rollout;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A recurring maintenance window, written like a cron day/time field: {@code <days> <HH:MM>-<HH:MM> [zone]}, e.g.
 * {@code Sat,Sun 02:00-05:00 UTC}, {@code Mon-Fri 22:00-02:00 Europe/Berlin} (an end before the start runs past
 * midnight into the next day), {@code * 00:00-24:00} (always). Days: {@code *}, names ({@code Mon}…{@code Sun}),
 * ranges ({@code Mon-Fri}) and lists; the zone defaults to UTC.
 */
public record MaintenanceWindow(String spec, Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone) {

    public static MaintenanceWindow parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("maintenance window: expected '<days> <HH:MM>-<HH:MM> [zone]' but was"
                    + " empty");
        }
        String[] parts = spec.trim().split("\\s+");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("maintenance window '" + spec + "': expected '<days> <HH:MM>-<HH:MM>"
                    + " [zone]', e.g. 'Sat,Sun 02:00-05:00 UTC'");
        }
        Set<DayOfWeek> days = days(spec, parts[0]);
        String[] times = parts[1].split("-");
        if (times.length != 2) {
            throw new IllegalArgumentException("maintenance window '" + spec + "': expected the hours as HH:MM-HH:MM"
                    + " but was '" + parts[1] + "'");
        }
        LocalTime start = time(spec, times[0]);
        boolean endOfDay = times[1].equals("24:00");
        LocalTime end = endOfDay ? LocalTime.MIDNIGHT : time(spec, times[1]);
        Duration length = Duration.between(start, end);
        if (endOfDay || (length.isZero() || length.isNegative())) {
            length = length.plusDays(1);
        }
        ZoneId zone;
        try {
            zone = parts.length == 3 ? ZoneId.of(parts[2]) : ZoneId.of("UTC");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("maintenance window '" + spec + "': unknown time zone '" + parts[2]
                    + "'");
        }
        return new MaintenanceWindow(spec.trim(), days, start, length, zone);
    }

    /** True when {@code at} lies inside an occurrence of the window. */
    public boolean contains(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        // an occurrence that started today or yesterday (windows that run past midnight)
        for (int back = 0; back <= 1; back++) {
            ZonedDateTime day = t.minusDays(back);
            if (days.contains(day.getDayOfWeek())) {
                ZonedDateTime open = day.toLocalDate().atTime(start).atZone(zone);
                if (!t.isBefore(open) && t.isBefore(open.plus(length))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The next opening at or after {@code after} (itself when inside the window). */
    public Instant nextOpening(Instant after) {
        if (contains(after)) {
            return after;
        }
        ZonedDateTime t = after.atZone(zone);
        for (int d = 0; d <= 7; d++) {
            ZonedDateTime day = t.plusDays(d);
            if (days.contains(day.getDayOfWeek())) {
                ZonedDateTime open = day.toLocalDate().atTime(start).atZone(zone);
                if (!open.isBefore(t)) {
                    return open.toInstant();
                }
            }
        }
        throw new IllegalStateException("maintenance window '" + spec + "' never opens");
    }

    private static Set<DayOfWeek> days(String spec, String field) {
        if (field.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String item : field.split(",")) {
            String[] range = item.split("-");
            DayOfWeek from = day(spec, range[0]);
            DayOfWeek to = range.length == 2 ? day(spec, range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                out.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String spec, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(n) && n.length() >= 3) {
                return d;
            }
        }
        throw new IllegalArgumentException("maintenance window '" + spec + "': expected a day Mon..Sun but was '"
                + name + "'");
    }

    private static LocalTime time(String spec, String hhmm) {
        try {
            return LocalTime.parse(hhmm.length() == 4 ? "0" + hhmm : hhmm);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("maintenance window '" + spec + "': expected a time HH:MM but was '"
                    + hhmm + "'");
        }
    }
}
