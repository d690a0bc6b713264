# Sends the request example "The vendor's own
# example" (vendorExample).
# The request on the vendor's reference page,
# unchanged, nulls and undocumented fields included:
# an uploaded voice file, no SMS, transfer to agent
# group 1000038 after the call.
#
# The local mock (npm start) and the vendor's test
# credentials. In production, set API_KEY and
# API_SECRET to yours and BASE_URL to
# https://api.itniotech.com
BASE_URL="${BASE_URL:-http://127.0.0.1:4010}"
API_KEY="${API_KEY:-bDqJFiq9}"
API_SECRET="${API_SECRET:-7bz1lzh9}"

# Sign = md5(apiKey + apiSecret + timestamp) in
# lowercase hex; the timestamp is Unix seconds.
TS=$(date +%s)
SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" |
  md5sum | cut -d' ' -f1)

# keyId 299 is the vendor's example task, known
# to the mock; use the keyId your send returned.
curl -sS --fail-with-body -X POST \
  "$BASE_URL/voice/recallFlow/update" \
  -H 'Content-Type: application/json' \
  -H "Api-Key: $API_KEY" \
  -H "Timestamp: $TS" \
  -H "Sign: $SIGN" \
  -d '{
  "keyId": 299,
  "recallType": 0,
  "recallInterval": 30,
  "recallNum": 1,
  "nodeList": [
    {
      "voiceFileId": "120250811103439c1901f4c53b691b419ad8a143b.wav",
      "voiceFileName": null,
      "source": 1,
      "text": null,
      "lan": null,
      "speakingRate": null,
      "hangUpSms": 0,
      "idxSmsAppId": null,
      "smsContent": null,
      "senderId": null,
      "feedbackValue": null,
      "feedbackPush": null,
      "successPush": null,
      "successPushTime": null,
      "failedPush": null,
      "ringPush": null,
      "toSeat": 1,
      "sipGroupId": 1000038,
      "outboundControl": 1,
      "calloutRate": 1,
      "toSeatType": 1,
      "toSeatKey": null,
      "delayTransfer": 0
    }
  ]
}'
# Answer (always HTTP 200):
# {"code":0,"msg":"success"}; a negative code
# is a refusal.
