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
    <name>ContactsTab</name>
    <message numerus="yes">
        <source>%n contact(s) or group(s) wait for approval. Select one and press &lt;b&gt;Approve&lt;/b&gt; to let them use the bot; an approved group gets answers and alarms its tags allow.</source>
        <translation>
            <numerusform>%n contact(s) or group(s) wait for approval. Select one and press &lt;b&gt;Approve&lt;/b&gt; to let them use the bot; an approved group gets answers and alarms its tags allow.</numerusform>
            <numerusform>%n contact(s) or group(s) wait for approval. Select one and press &lt;b&gt;Approve&lt;/b&gt; to let them use the bot; an approved group gets answers and alarms its tags allow.</numerusform>
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
    <name>DashboardWords</name>
    <message numerus="yes">
        <source>%n message(s) wait in memory and will be recorded and answered when the database can be written again.</source>
        <translation>
            <numerusform>%n message waits in memory and will be recorded and answered when the database can be written again.</numerusform>
            <numerusform>%n messages wait in memory and will be recorded and answered when the database can be written again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open alarm(s)</source>
        <translation>
            <numerusform>%n open alarm</numerusform>
            <numerusform>%n open alarms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not acknowledged</source>
        <translation>
            <numerusform>, %n not acknowledged</numerusform>
            <numerusform>, %n not acknowledged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n told late (the bot was offline)</source>
        <translation>
            <numerusform>; %n told late (the bot was offline)</numerusform>
            <numerusform>; %n told late (the bot was offline)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alarm message(s) wait for WhatsApp; they are sent, marked late, when it reconnects.</source>
        <translation>
            <numerusform>%n alarm message waits for WhatsApp; it is sent, marked late, when it reconnects.</numerusform>
            <numerusform>%n alarm messages wait for WhatsApp; they are sent, marked late, when it reconnects.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alarm message(s) were not sent in the last 24 hours; the Messages tab&apos;s outbox says why.</source>
        <translation>
            <numerusform>%n alarm message was not sent in the last 24 hours; the Messages tab&apos;s outbox says why.</numerusform>
            <numerusform>%n alarm messages were not sent in the last 24 hours; the Messages tab&apos;s outbox says why.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessagesWords</name>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to be sent</source>
        <translation>
            <numerusform>%n waiting to be sent</numerusform>
            <numerusform>%n waiting to be sent</numerusform>
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
