<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AiPrefixDialog</name>
    <message numerus="yes">
        <source>Used %n time(s) so far.</source>
        <translation>
            <numerusform>Used %n time so far.</numerusform>
            <numerusform>Used %n times so far.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entries</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionsTab</name>
    <message numerus="yes">
        <source>%n trigger(s) now have no connection.</source>
        <translation>
            <numerusform>%n trigger now has no connection.</numerusform>
            <numerusform>%n triggers now have no connection.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n time</numerusform>
            <numerusform>%n times</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed login(s)</source>
        <translation>
            <numerusform>%n failed login(s)</numerusform>
            <numerusform>%n failed login(s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n contact</numerusform>
            <numerusform>%n contacts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s)</source>
        <translation>
            <numerusform>%n tag</numerusform>
            <numerusform>%n tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n group</numerusform>
            <numerusform>%n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n person(s)</source>
        <translation>
            <numerusform>%n person</numerusform>
            <numerusform>%n people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PresetDialog</name>
    <message numerus="yes">
        <source>Used %n time(s) so far.</source>
        <translation>
            <numerusform>Used %n time so far.</numerusform>
            <numerusform>Used %n times so far.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueryDialog</name>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row(s)</numerusform>
            <numerusform>%n row(s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReplyPreview</name>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n of them with a chart</source>
        <translation>
            <numerusform>, %n of them with a chart</numerusform>
            <numerusform>, %n of them with a chart</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message numerus="yes">
        <source>Each recipient would get %n message(s).</source>
        <translation>
            <numerusform>Each recipient would get %n message.</numerusform>
            <numerusform>Each recipient would get %n messages.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message numerus="yes">
        <source>%n unsaved change(s)</source>
        <translation>
            <numerusform>%n unsaved change</numerusform>
            <numerusform>%n unsaved changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Settings saved (%n changed).</source>
        <translation>
            <numerusform>Settings saved (%n changed).</numerusform>
            <numerusform>Settings saved (%n changed).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SimulatorTab</name>
    <message numerus="yes">
        <source>%n alarm message(s) were queued for WhatsApp; they appear here.</source>
        <translation>
            <numerusform>%n alarm message was queued for WhatsApp; it appears here.</numerusform>
            <numerusform>%n alarm messages were queued for WhatsApp; they appear here.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TagBrowserDialog</name>
    <message numerus="yes">
        <source>%n tag(s) match {pattern}.</source>
        <translation>
            <numerusform>%n tag matches {pattern}.</numerusform>
            <numerusform>%n tags match {pattern}.</numerusform>
        </translation>
    </message>
</context>
</TS>
