/* Validate iCalendar files with libical, as calendar programs built on it
 * would: RFC 5545 parsing, then the iTIP restrictions of RFC 5546 for the
 * calendar's METHOD (icalrestriction_check). libical reports every problem
 * as an X-LIC-ERROR property; this prints them and exits 1 if any.
 * Built by tests/notifications/test_itip.py with gcc against Debian's libical-dev. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static int report(icalcomponent *component, const char *file)
{
    int errors = 0;
    icalproperty *property;
    icalcomponent *child;
    for (property = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY); property;
         property = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
        printf("%s: %s: %s\n", file, icalcomponent_kind_to_string(icalcomponent_isa(component)),
               icalproperty_get_xlicerror(property));
        errors++;
    }
    for (child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT); child;
         child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT))
        errors += report(child, file);
    return errors;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *stream = fopen(argv[i], "rb");
        if (!stream) { perror(argv[i]); return 2; }
        static char text[1 << 20];
        size_t length = fread(text, 1, sizeof text - 1, stream);
        fclose(stream);
        text[length] = '\0';
        icalcomponent *calendar = icalparser_parse_string(text);
        if (!calendar || icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT) {
            printf("%s: not a VCALENDAR\n", argv[i]);
            failed = 1;
            continue;
        }
        int valid = icalrestriction_check(calendar);
        if (report(calendar, argv[i]) || !valid) {
            if (valid == 0) printf("%s: icalrestriction_check failed\n", argv[i]);
            failed = 1;
        }
        icalcomponent_free(calendar);
    }
    return failed;
}
