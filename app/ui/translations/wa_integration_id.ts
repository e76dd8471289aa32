<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>AiPrefixDialog</name>
    <message>
        <source>— none —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit AI prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New AI prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. &quot;ai:&quot; or &quot;=&quot; — a message starting with it is a question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown to users in the help list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled (the bot answers questions with this prefix)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an AI service in Connections first; until then this prefix cannot answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the AI service&apos;s own system prompt is used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact tags, comma-separated; empty = every allowed contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Used %n time(s) so far.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Prefix *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Own system prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AiPrefixesTab</name>
    <message>
        <source>(connection deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an AI service in Connections first; a prefix sends its questions to one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No AI prefix yet. A message that starts with a prefix (say &quot;ai:&quot;) goes to an AI service as a question, and its answer is the reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI prefix “{prefix}” saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete AI prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the AI prefix “{prefix}” ({name})?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI prefix “{prefix}” deleted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <source>A PI tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SQL trigger&apos;s first value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Above the high limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Below the low limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outside the low and high limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Equals a state (digital tag)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bad value or system state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No new value for a while (stale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appears in every message, e.g. Drum pressure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switched on (checked every interval, people are told)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For the engineers: what it means, what to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No PI connection yet — add one in Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (switched off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PI tag, e.g. BOILER1.DRUM.PRESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No SQL trigger yet — make one in Triggers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 45</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The digital state that raises it, e.g. Tripped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How far back over the limit the value must go before the alarm clears, so a value hovering at the limit does not raise and clear again and again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raise at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The condition must hold this long before the alarm is raised; a short spike is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown after the value when the tag has none, e.g. bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the standard message, e.g. 🟠 #12 Drum pressure HIGH 46.2 bar &gt; 45 since 10:42 — reply *ack 12*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May use %1; {number} is required (people reply ack {number}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Then, if nobody acknowledges, also tell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is told first *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact tags, comma-separated; empty = anyone it is sent to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A daily window (it may run past midnight): a raise in it is recorded, and people are told when the window ends. A critical alarm is always sent at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High limit *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low limit *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadband</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test against the current value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reads the value now and shows whether the condition holds and the exact message people would get. Nothing is sent and the alarm&apos;s state does not change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message people would get</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Test&lt;/b&gt; of the form as it is now (nothing is saved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(connection deleted) — choose another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(trigger deleted) — choose another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the PI connection the tag is read from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the PI tag to watch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the SQL trigger whose first value is watched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The high limit must be a number, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The low limit must be a number, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test cannot run yet:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the current value…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current value: &lt;b&gt;{value}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The condition holds{why}: the alarm would be raised and people would get the message below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The condition does not hold: the alarm stays normal. Below is the message people would get if it did, with an example value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a PI or demo connection first; its tags are searched.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlarmsTab</name>
    <message>
        <source>switched off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shelved until {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACTIVE since {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending (condition seen at {time})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trigger {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(deleted trigger)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(deleted connection)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; {low} or &gt; {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no new value for {minutes} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad value or system state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shelved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active, told level {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (sent late)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (value {})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> by {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> to level {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (nobody to tell)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> until {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time}  {what} by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (via {via})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity {severity}; value {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none recorded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledgements and shelving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter alarm events…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge the selected alarm event in your name, as “ack 12” on WhatsApp does; escalation to the next level stops.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the shelving of the selected event&apos;s alarm now; the next check tells people if it is still active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open events only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an event to see its history and who acknowledged or shelved it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent alarm events&lt;/b&gt; — the number is what people reply with (ack 12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alarm yet. Press &lt;b&gt;New…&lt;/b&gt;, choose the &lt;b&gt;demo&lt;/b&gt; connection and a tag such as DEMO.BOILER.TEMP to try one without a network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the data of: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm {name} saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm {name} switched off; its open event is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm {name} switched on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the alarm {name} and its events?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm {name} deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm {name} is no longer shelved; the next check tells people if it is still active.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>This database came from the previous WA-Integration system and was upgraded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database was upgraded; a backup is at {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Simulator cannot run: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged in as {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app} cannot start</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Bubble</name>
    <message>
        <source>(an image that could not be read)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyword</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ran</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComposePage</name>
    <message>
        <source>Pick a contact or type a number, e.g. +62 812 3456 7890</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can read messages, not send them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write only to people who wrote to the bot before: WhatsApp bans numbers that open chats with strangers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionsTab</name>
    <message>
        <source>New connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse tags…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to PI Web API…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete connection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n time(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>WA-Integration — unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterTable</name>
    <message>
        <source>Filter…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This form has changes that are not saved. Discard them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>All at once (parallel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One after another (sequential)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The word people send, e.g. boiler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown by help and used as the reply&apos;s title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply lists the members in this order; drag them to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyword *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; of the group as it is now (nothing is saved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(deleted trigger {id})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (switched off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add at least one trigger to the group to preview it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GroupsTab</name>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No group yet. A group answers one keyword with the replies of several triggers, e.g. &lt;b&gt;boiler&lt;/b&gt; for drum, steam and feed water.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; — select a group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group {name} saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the group {name}? Its triggers stay; only the group keyword stops answering.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group {name} deleted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Reply language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of this window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone for times in replies (e.g. Asia/Jakarta; empty = this computer&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WhatsApp: proxy (http://host:port or socks5://host:port; empty = this computer&apos;s proxy; direct = none; used from the next Start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock the window after this many idle minutes (0 = never)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI: earlier questions and answers remembered per sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI: rounds of data look-ups per question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum gap between sends (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random extra gap (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages per chat per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages per minute overall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands allowed per window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spam window (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute time after too many commands (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ignore the same text repeated within (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest accepted message (characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notice sent when a sender is muted (empty = the built-in sentence)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms: a gap longer than this counts as the bot being offline (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedules: holidays to skip (dates as YYYY-MM-DD, separated by commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedules: a run missed by more than this (computer off or asleep) is skipped (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AVEVA PI (PI Web API or site gateway)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MySQL / MariaDB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oracle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo historian (built in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PI Web API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old site gateway (/pi/trn)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https://pi-server/piwebapi — or http://host:6066 for the old gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Basic (user name and password)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kerberos / Windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NTLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DOMAIN\user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the server certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave on: the connection is refused when the server&apos;s certificate is not trusted. A plant CA&apos;s bundle file (.pem) may be given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default data server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for bare tag names, e.g. PISRV01</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used by old triggers that name no tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone of the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Asia/Jakarta; empty = this computer&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time limit (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a user with read-only rights is the strongest protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect time limit (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query time limit (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS: CA bundle file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty = no TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect string (instead of host/service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. dbhost:1521/ORCLPDB1 or a full (DESCRIPTION=…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenAI-compatible (/v1/chat/completions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ollama (/api/chat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old system&apos;s relay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. http://localhost:11434/v1 for OpenAI-compatible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer length limit (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PI values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved query (preset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator — everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User — everything but users and settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viewer — read only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListTab</name>
    <message>
        <source>Filter AI prefixes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at AI prefixes, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter alarms…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at alarms, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter connections…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at connections and test them, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter groups…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at groups and preview their replies, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter presets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at presets, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter schedules…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at schedules, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter triggers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can look at triggers and preview their replies, not change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter users…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators can manage users. You can see the list, not change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>create the administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Welcome.&lt;/b&gt; Create the administrator account of this workstation. You will use it to log in, and to add the other users.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Log in&lt;/b&gt; to WA-Integration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create and log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is empty. Type a password of at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings has changes that are not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresetDialog</name>
    <message>
        <source>Edit preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default preset (offered first for new saved-query triggers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Used %n time(s) so far.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Name *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query template *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresetsTab</name>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preset yet. A preset is a query written once; several saved-query triggers can use it with their own values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset {name} saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the preset {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset {name} deleted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words after the keyword, e.g. B2 t-1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QAbstractSpinBox</name>
    <message>
        <source>&amp;Select All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Step up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step &amp;down</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select All</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Abort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select All</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueryDialog</name>
    <message>
        <source>Query {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only single read-only SELECT statements run; values are sent as bound parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{rows} in {ms} ms; more rows exist (showing the first {limit}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rows} in {ms} ms.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyPreview</name>
    <message>
        <source>Run preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press &lt;b&gt;{button}&lt;/b&gt; to see the reply exactly as WhatsApp receives it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>── message {number} of {count} (image with this caption) ──</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>── message {number} of {count} (text) ──</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>, with a chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>, %n of them with a chart</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The bot would answer in {seconds} s with {count}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Why: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bot would answer with an error ({count}); see the text below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chart image could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image WhatsApp receives ({width} × {height} pixels), shown smaller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <source>A trigger&apos;s reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A group&apos;s combined reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This schedule never runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next runs: {times}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Shift handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switched on (sends at the times below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words after the keyword, as people would type them, e.g. B2 t-8h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: {examples}. Times are the workstation&apos;s wall clock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip holidays (the dates listed in Settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A daily window (it may run past midnight) in which this schedule sends nothing; a run due then is recorded as skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who gets it *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Preview&lt;/b&gt; to see what the recipients would get, exactly as WhatsApp shows it. Nothing is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; of the form as it is now (nothing is saved or sent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No group yet — make one in Groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trigger yet — make one in Triggers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (switched off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (no longer exists) — choose another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the trigger or group to send first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group {name} no longer exists; choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trigger {name} no longer exists; choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Each recipient would get %n message(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The recipients would get nothing.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SchedulesTab</name>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs&lt;/b&gt; — select a schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete schedule</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending (outbox)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spam protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators can change settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unsaved change(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No setting changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Settings saved (%n changed).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The windows speak {language} from the next log-in (log out and in again, or restart the app).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SimulatorTab</name>
    <message>
        <source>The phone number the message comes from. A number the bot does not know yet gets the &apos;not authorised&apos; notice and waits for approval in Contacts, as on WhatsApp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The WhatsApp name the contact shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speak as the workstation&apos;s operator, who is always allowed: access and spam rules do not apply and nothing is logged as a message from a contact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In a group chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In a group the bot answers only a message that starts with a trigger name, ! or /, or an AI prefix.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a message and press Enter, e.g. help, demo, demotrend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check alarms now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks every alarm once now, as the app does by itself every few seconds. Alarm messages go to their recipients on WhatsApp (they wait while it is not connected); they also appear here, so you can answer them as the contact above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talk to the bot as a contact would. Replies come through the bot&apos;s own outbox, without the pause WhatsApp needs, and the Messages tab logs them; nothing you send here reaches WhatsApp. Alarm messages shown here (yellow) do go to their recipients on WhatsApp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Simulator&apos;s bot is not running in this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role can read messages, not send them, so the Simulator is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the alarms…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The alarm check failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <source>Edit connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active (triggers may use it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Finish setup.&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try these settings now; nothing is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo historian needs no settings: it simulates a handful of tags on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stored — leave empty to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing… (Stop ends the wait)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test stopped: no answer was waited for.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TagBrowserDialog</name>
    <message>
        <source>Bad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questionable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Substituted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags on {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag name pattern, e.g. BOILER1.*  or  *PRESS*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a pattern (* and ? are wildcards) and press Search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use selected tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching {name} for {pattern}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) match {pattern}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No tag matches {pattern}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TlsField</name>
    <message>
        <source>Check the server certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA bundle file (.pem), if the plant has its own CA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TriggerDialog</name>
    <message>
        <source>Edit trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The word people send, e.g. drum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown by help and used as the reply&apos;s title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old type {kind} — choose another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active (the bot answers this keyword)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact tags, comma-separated; empty = every allowed contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default (20 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyword *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This trigger still has the old system&apos;s type. Choose PI values, SQL query, saved query or fixed text above and fill in the page that appears.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Finish setup.&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; of the form as it is now (nothing is saved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No PI or demo connection yet — add one in Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No MySQL or Oracle connection yet — add one in Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No suitable connection yet — add one in Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (switched off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preview cannot run yet:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TriggerPages</name>
    <message>
        <source>Current values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary over a period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values at a fixed interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>StdDev</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>\\SERVER\TAG, a bare tag name or an AF path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search PI…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name shown in the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach a trend chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decimals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only one read-only SELECT may run; the words after the keyword fill the variables in order and reach the database as bound values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed value (empty = taken from the message)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preset yet: make one in the Presets tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply, e.g. the shift roster or a phone list. *bold* and _italic_ work as in WhatsApp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a PI or demo connection first; its tags are searched.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TriggersTab</name>
    <message>
        <source>&lt;b&gt;Preview of {name}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (switched off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old type {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish setup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trigger yet. Press &lt;b&gt;New…&lt;/b&gt; and pick the &lt;b&gt;demo&lt;/b&gt; connection to try one without a network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish the setup of: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; — select a trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger {name} saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger {name} created, switched off; edit it, then activate it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger {name} is now switched off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger {name} is now active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the trigger {name}? People sending {name} get no answer any more, and groups that contain it lose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger {name} deleted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Edit user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>New user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VariablesTable</name>
    <message>
        <source>Add row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detect from query</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
