-- seam.lua: Seam's session calls in Wireshark and tshark.
--
-- A Seam session file (seam proxy/trace/watch/demo --record) holds each socket call as an exported PDU
-- (link type 252) whose tags name the protocol column ("seam") and the Info column text, and whose comment
-- states the call in key=value words. Wireshark 4.2 and later show both columns by themselves; older ones
-- (Debian 12 has 4.0) ignore the Info tag. This postdissector fills the Info column from that tag and adds
-- the call's words as fields (seam.call, seam.conn, seam.leg, seam.dir, seam.off, seam.len), so filters
-- like `seam.call == "recv" && seam.len > 1000` work in any version.
--
-- Install: `make install` copies it to Wireshark's personal plugin folder; or run
-- `tshark -X lua_script:share/wireshark/seam.lua -r session.pcapng`.

local seam = Proto("seam", "Seam socket call")
local f_call = ProtoField.string("seam.call", "Call")
local f_conn = ProtoField.uint32("seam.conn", "Connection")
local f_leg = ProtoField.string("seam.leg", "Leg")
local f_dir = ProtoField.string("seam.dir", "Direction")
local f_off = ProtoField.uint64("seam.off", "Offset")
local f_len = ProtoField.uint32("seam.len", "Length")
local f_words = ProtoField.string("seam.words", "Words")
seam.fields = { f_call, f_conn, f_leg, f_dir, f_off, f_len, f_words }

local encap = Field.new("frame.encap_type")
local comment_fields = { "frame.comment", "frame.comment.comment" }
local comment_field = nil
for _, name in ipairs(comment_fields) do
    local ok, field = pcall(Field.new, name)
    if ok then comment_field = field break end
end

local UPPER_PDU = 155 -- WTAP_ENCAP_WIRESHARK_UPPER_PDU

-- The string value of exported-PDU tag `wanted` (tags: 2-byte type, 2-byte length, value; 0 ends them).
local function tag_string(tvb, wanted)
    local offset = 0
    while offset + 4 <= tvb:len() do
        local tag = tvb(offset, 2):uint()
        local length = tvb(offset + 2, 2):uint()
        if tag == 0 then return nil end
        if tag == wanted and offset + 4 + length <= tvb:len() then
            return tvb(offset + 4, length):stringz(ENC_UTF_8)
        end
        offset = offset + 4 + length
    end
    return nil
end

function seam.dissector(tvb, pinfo, tree)
    local kind = encap()
    if not kind or kind.value ~= UPPER_PDU or not comment_field then return end
    local words = nil
    for _, value in ipairs({ comment_field() }) do
        local text = tostring(value.value or value)
        if text:sub(1, 5) == "call=" then words = text break end
    end
    if not words then return end
    local values = {}
    for key, value in words:gmatch("([%w%-]+)=(%S*)") do values[key] = value end
    pinfo.cols.protocol = "seam"
    local info = tag_string(tvb, 36)
    if info then pinfo.cols.info = info end
    local subtree = tree:add(seam, tvb(), "Seam call: " .. (info or words))
    subtree:add(f_call, values["call"] or "")
    if values["conn"] then subtree:add(f_conn, tonumber(values["conn"])) end
    subtree:add(f_leg, values["leg"] or "")
    if values["dir"] then subtree:add(f_dir, values["dir"]) end
    if values["off"] then subtree:add(f_off, UInt64.fromhex(string.format("%x", tonumber(values["off"])))) end
    if values["len"] then subtree:add(f_len, tonumber(values["len"])) end
    subtree:add(f_words, words)
end

register_postdissector(seam)
