/*
 * The hub broker's access rules: a Mosquitto 2.0 plugin (interface version 5).
 *
 * Mosquitto 2.0's acl_file grants every SUBSCRIBE and ignores the retain flag, so a box
 * holding its own credentials could join the hub's shared subscription (the broker would
 * deal it reports meant for the hub) or retain what it sends. These rules check all four
 * kinds of access, the retain flag and who signs in where. They depend on the username
 * alone: a box is known once its line is in the password file, with nothing to change
 * here. docs/PROTOCOL.md, "The access rules", says what they allow and why.
 *
 * They also hold each box to a rate: whoever holds one box's credentials could otherwise
 * push junk at the hub as fast as the network carries it, and the hub would spend a core
 * just reading it. A token bucket per box username, for messages and for bytes of
 * payload, lets a burst through at once and then a sustained rate; past either, what the
 * box publishes is dropped like a publish the rules refuse. The hub is never limited.
 *
 * Options, written by provisioning/broker_config.py from link/topics.py and link/acl.py:
 *   plugin_opt_topic_root    the root of every box's branch, <root>/<box id>/<channel>
 *   plugin_opt_hub_user      the username of the hub's ingest processes
 *   plugin_opt_ingest_group  the hub's shared-subscription group
 *   plugin_opt_admits        whose credentials this listener accepts: hub, boxes or all
 *   plugin_opt_box_messages_per_s, plugin_opt_box_message_burst,
 *   plugin_opt_box_bytes_per_s, plugin_opt_box_byte_burst
 *                            each box's rate and burst (link/box_rate.py)
 * With per_listener_settings true, each listener loads its own instance with its own
 * options; the library is loaded once, so nothing here is global.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

/* Boxes are found by username in a table of chains. A box is kept only while its tokens
 * are not all back, so MOST_BOXES is far beyond a hub's fleet; it bounds the memory that
 * many credentials could make the table take. */
#define SLOTS 4096
#define MOST_BOXES 65536
/* A box over its rate is told in the log once a minute at most. */
#define NOTICE_EVERY_S 60.0

/* Tokens come back at per_s a second, up to burst. */
struct allowance {
	double per_s;
	double burst;
};

/* What one box may still send at once, and what the log was last told about it. */
struct box_rate {
	struct box_rate *next;
	char *box;
	double messages;
	double bytes;
	double filled_at;
	double noticed_at;
	unsigned long dropped;
};

struct rules {
	mosquitto_plugin_id_t *identifier;
	char *root;
	char *hub;
	char *group;
	bool admits_hub;
	bool admits_boxes;
	struct allowance messages;
	struct allowance bytes;
	struct box_rate *slots[SLOTS];
	unsigned int boxes;
	double full_noticed_at;
};

/* What follows "<prefix>/" at the start of text, or NULL. */
static const char *after(const char *text, const char *prefix)
{
	size_t length = strlen(prefix);

	if(text == NULL || strncmp(text, prefix, length) != 0 || text[length] != '/'){
		return NULL;
	}
	return text + length + 1;
}

/* The channel of <root>/<box>/<channel>, or NULL. A NULL box stands for any one level. */
static const char *channel_of(const struct rules *rules, const char *topic, const char *box)
{
	const char *rest = after(topic, rules->root);
	const char *slash;

	if(box != NULL){
		return after(rest, box);
	}
	slash = rest ? strchr(rest, '/') : NULL;
	return slash && slash != rest ? slash + 1 : NULL;
}

static bool is(const char *channel, const char *name)
{
	return channel != NULL && strcmp(channel, name) == 0;
}

static bool is_upstream(const char *channel)
{
	return is(channel, "up") || is(channel, "status") || is(channel, "telemetry");
}

static int allowed(bool yes)
{
	return yes ? MOSQ_ERR_SUCCESS : MOSQ_ERR_ACL_DENIED;
}

static double now_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* FNV-1a. Usernames come from the password file, not from whoever connects, so no one
 * can choose them to fill one chain. */
static unsigned long slot_of(const char *box)
{
	unsigned long hash = 2166136261UL;

	for(; *box != '\0'; box++){
		hash = (hash ^ (unsigned char)*box) * 16777619UL;
	}
	return hash % SLOTS;
}

static double at_most(double value, double most)
{
	return value < most ? value : most;
}

/* Give back the tokens earned since they were last given. */
static void refill(const struct rules *rules, struct box_rate *rate, double now)
{
	double elapsed = now - rate->filled_at;

	rate->messages = at_most(rate->messages + elapsed * rules->messages.per_s, rules->messages.burst);
	rate->bytes = at_most(rate->bytes + elapsed * rules->bytes.per_s, rules->bytes.burst);
	rate->filled_at = now;
}

static void free_rate(struct box_rate *rate)
{
	free(rate->box);
	free(rate);
}

/* Forget the boxes whose tokens are all back: seen again, they would start the same. */
static void forget_idle(struct rules *rules, double now)
{
	struct box_rate **link;
	struct box_rate *rate;
	int i;

	for(i = 0; i < SLOTS; i++){
		link = &rules->slots[i];
		while((rate = *link) != NULL){
			refill(rules, rate, now);
			if(rate->messages >= rules->messages.burst && rate->bytes >= rules->bytes.burst){
				*link = rate->next;
				free_rate(rate);
				rules->boxes--;
			}else{
				link = &rate->next;
			}
		}
	}
}

/* The box's tokens as of now, a full burst if it is new; NULL if it cannot be kept. */
static struct box_rate *rate_of(struct rules *rules, const char *box, double now)
{
	unsigned long slot = slot_of(box);
	struct box_rate *rate;

	for(rate = rules->slots[slot]; rate != NULL; rate = rate->next){
		if(strcmp(rate->box, box) == 0){
			refill(rules, rate, now);
			return rate;
		}
	}
	if(rules->boxes >= MOST_BOXES){
		forget_idle(rules, now);
		if(rules->boxes >= MOST_BOXES){
			return NULL;
		}
	}
	rate = calloc(1, sizeof(*rate));
	if(rate == NULL || (rate->box = strdup(box)) == NULL){
		free(rate);
		return NULL;
	}
	rate->messages = rules->messages.burst;
	rate->bytes = rules->bytes.burst;
	rate->filled_at = now;
	rate->noticed_at = now - NOTICE_EVERY_S;
	rate->next = rules->slots[slot];
	rules->slots[slot] = rate;
	rules->boxes++;
	return rate;
}

/* Whether the box may publish size bytes now, counting them if so. A dropped message
 * costs no tokens: a box over its rate still gets through what the rate allows. */
static bool within_rate(struct rules *rules, const char *box, uint32_t size)
{
	double now = now_s();
	struct box_rate *rate = rate_of(rules, box, now);

	if(rate == NULL){
		/* Only boxes beyond any fleet, or no memory: refusing would stop real boxes. */
		if(now - rules->full_noticed_at >= NOTICE_EVERY_S){
			mosquitto_log_printf(MOSQ_LOG_WARNING, "Broker rules: over %d boxes sending at "
					"once, %s and others go unlimited.", MOST_BOXES, box);
			rules->full_noticed_at = now;
		}
		return true;
	}
	if(rate->messages >= 1 && rate->bytes >= size){
		rate->messages -= 1;
		rate->bytes -= size;
		return true;
	}
	rate->dropped++;
	if(now - rate->noticed_at >= NOTICE_EVERY_S){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "Box %s publishes beyond its rate (%.0f messages "
				"and %.0f bytes a second); messages dropped since the last notice: %lu.",
				box, rules->messages.per_s, rules->bytes.per_s, rate->dropped);
		rate->noticed_at = now;
		rate->dropped = 0;
	}
	return false;
}

/* A box subscribes to and reads its own down only, and writes on its own up, status and
 * telemetry. Only status may be retained: it is the box's presence (its last will
 * included); anything retained elsewhere would reach every hub ingest again at each
 * subscription. Removing a subscription harms no one, so UNSUBSCRIBE is always allowed. */
static int box_may(const struct rules *rules, const char *box,
		const struct mosquitto_evt_acl_check *check)
{
	const char *channel = channel_of(rules, check->topic, box);

	switch(check->access){
		case MOSQ_ACL_SUBSCRIBE:
		case MOSQ_ACL_READ:
			return allowed(is(channel, "down"));
		case MOSQ_ACL_WRITE:
			return allowed(is(channel, "status")
					|| (!check->retain && (is(channel, "up") || is(channel, "telemetry"))));
		case MOSQ_ACL_UNSUBSCRIBE:
			return MOSQ_ERR_SUCCESS;
	}
	return MOSQ_ERR_ACL_DENIED;
}

/* The hub subscribes to the up, status and telemetry of every box (+) or of one, bare or
 * through its shared-subscription group, reads them, and writes every box's down. It
 * never speaks for a box: on a box's upstream topics it may only publish an empty
 * retained message, which clears what is retained there. */
static int hub_may(const struct rules *rules, const struct mosquitto_evt_acl_check *check)
{
	const char *topic = check->topic;
	const char *unshared = after(after(topic, "$share"), rules->group);
	const char *channel;

	switch(check->access){
		case MOSQ_ACL_SUBSCRIBE:
			return allowed(is_upstream(channel_of(rules, unshared ? unshared : topic, NULL)));
		case MOSQ_ACL_READ:
			return allowed(is_upstream(channel_of(rules, topic, NULL)));
		case MOSQ_ACL_WRITE:
			channel = channel_of(rules, topic, NULL);
			if(is(channel, "down")){
				return allowed(!check->retain);
			}
			return allowed(is_upstream(channel) && check->retain && check->payloadlen == 0);
		case MOSQ_ACL_UNSUBSCRIBE:
			return MOSQ_ERR_SUCCESS;
	}
	return MOSQ_ERR_ACL_DENIED;
}

static int on_acl_check(int event, void *event_data, void *userdata)
{
	const struct mosquitto_evt_acl_check *check = event_data;
	struct rules *rules = userdata;
	const char *username = mosquitto_client_username(check->client);
	int rc;

	(void)event;
	if(username == NULL){
		return MOSQ_ERR_ACL_DENIED;
	}
	if(strcmp(username, rules->hub) == 0){
		return hub_may(rules, check);
	}
	rc = box_may(rules, username, check);
	/* Its last will too: a box cannot dodge its rate by sending one at each connection. */
	if(rc == MOSQ_ERR_SUCCESS && check->access == MOSQ_ACL_WRITE
			&& !within_rate(rules, username, check->payloadlen)){
		return MOSQ_ERR_ACL_DENIED;
	}
	return rc;
}

static int refuse(const char *username, const char *why)
{
	mosquitto_log_printf(MOSQ_LOG_NOTICE, "Refused %s: %s.", username, why);
	return MOSQ_ERR_AUTH;
}

/* Who may sign in on this listener; the password file then checks the password. */
static int on_basic_auth(int event, void *event_data, void *userdata)
{
	const struct mosquitto_evt_basic_auth *login = event_data;
	const struct rules *rules = userdata;
	const char *username = login->username;
	const char *client_id = mosquitto_client_id(login->client);

	(void)event;
	if(username == NULL){
		return MOSQ_ERR_AUTH;
	}
	if(strcmp(username, rules->hub) == 0){
		return rules->admits_hub ? MOSQ_ERR_PLUGIN_DEFER
				: refuse(username, "the hub signs in on its own listener");
	}
	if(!rules->admits_boxes){
		return refuse(username, "boxes sign in on their own listener");
	}
	/* The username is one level of the box's topics. */
	if(username[0] == '\0' || strpbrk(username, "/+#") != NULL){
		return refuse(username, "not a box id");
	}
	/* Under another client id a box would take over that client's session, another
	 * box's or a hub ingest's, and knock it off the broker. Where the listener forces the
	 * client id to the username (use_username_as_clientid) this always holds. */
	if(client_id == NULL || strcmp(client_id, username) != 0){
		return refuse(username, "a box's client id is its box id");
	}
	return MOSQ_ERR_PLUGIN_DEFER;
}

static void forget(struct rules *rules)
{
	struct box_rate *rate;
	int i;

	for(i = 0; i < SLOTS; i++){
		while((rate = rules->slots[i]) != NULL){
			rules->slots[i] = rate->next;
			free_rate(rate);
		}
	}
	free(rules->root);
	free(rules->hub);
	free(rules->group);
	free(rules);
}

/* A rate or burst option: a number over zero, or 0 if it is not one. */
static double positive(const char *value)
{
	char *end;
	double number = strtod(value, &end);

	return end != value && *end == '\0' && number > 0 && number < 1e15 ? number : 0;
}

/* Copy the options into rules; false if one is unknown, missing or wrong, so that the
 * broker refuses to start rather than run with rules it was not meant to have. */
static bool configure(struct rules *rules, const struct mosquitto_opt *options, int count)
{
	const char *admits = NULL;
	int i;

	for(i = 0; i < count; i++){
		const char *key = options[i].key;
		const char *value = options[i].value;

		if(strcmp(key, "topic_root") == 0){
			rules->root = strdup(value);
		}else if(strcmp(key, "hub_user") == 0){
			rules->hub = strdup(value);
		}else if(strcmp(key, "ingest_group") == 0){
			rules->group = strdup(value);
		}else if(strcmp(key, "admits") == 0){
			admits = value;
		}else if(strcmp(key, "box_messages_per_s") == 0){
			rules->messages.per_s = positive(value);
		}else if(strcmp(key, "box_message_burst") == 0){
			rules->messages.burst = positive(value);
		}else if(strcmp(key, "box_bytes_per_s") == 0){
			rules->bytes.per_s = positive(value);
		}else if(strcmp(key, "box_byte_burst") == 0){
			rules->bytes.burst = positive(value);
		}else{
			mosquitto_log_printf(MOSQ_LOG_ERR, "Broker rules: unknown option %s.", key);
			return false;
		}
	}
	if(admits != NULL){
		rules->admits_hub = strcmp(admits, "hub") == 0 || strcmp(admits, "all") == 0;
		rules->admits_boxes = strcmp(admits, "boxes") == 0 || strcmp(admits, "all") == 0;
	}
	if(!rules->root || !rules->hub || !rules->group || !(rules->admits_hub || rules->admits_boxes)){
		mosquitto_log_printf(MOSQ_LOG_ERR, "Broker rules: topic_root, hub_user, ingest_group "
				"and admits (hub, boxes or all) are all needed.");
		return false;
	}
	/* A burst under one message would let nothing through. */
	if(rules->messages.per_s == 0 || rules->messages.burst < 1
			|| rules->bytes.per_s == 0 || rules->bytes.burst < 1){
		mosquitto_log_printf(MOSQ_LOG_ERR, "Broker rules: box_messages_per_s, box_message_burst, "
				"box_bytes_per_s and box_byte_burst, numbers over 0, are all needed.");
		return false;
	}
	return true;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
	int i;

	for(i = 0; i < supported_version_count; i++){
		if(supported_versions[i] == 5){
			return 5;
		}
	}
	return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata,
		struct mosquitto_opt *options, int option_count)
{
	struct rules *rules = calloc(1, sizeof(*rules));

	if(rules == NULL){
		return MOSQ_ERR_NOMEM;
	}
	if(!configure(rules, options, option_count)){
		forget(rules);
		return MOSQ_ERR_INVAL;
	}
	rules->identifier = identifier;
	if(mosquitto_callback_register(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL, rules)
			|| mosquitto_callback_register(identifier, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL, rules)){
		mosquitto_callback_unregister(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
		forget(rules);
		return MOSQ_ERR_UNKNOWN;
	}
	*userdata = rules;
	return MOSQ_ERR_SUCCESS;
}

int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *options, int option_count)
{
	struct rules *rules = userdata;

	(void)options;
	(void)option_count;
	mosquitto_callback_unregister(rules->identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
	mosquitto_callback_unregister(rules->identifier, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL);
	forget(rules);
	return MOSQ_ERR_SUCCESS;
}
